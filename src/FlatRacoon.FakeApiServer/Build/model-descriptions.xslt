<?xml version="1.0" encoding="utf-8"?>
<!-- Keeps the summaries of KubernetesClient's models (k8s.Models types and properties) from its XML documentation: the descriptions the fake's OpenAPI schemas carry. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" indent="no" encoding="utf-8" />
  <xsl:template match="/">
    <doc>
      <members>
        <xsl:for-each select="doc/members/member[starts-with(@name, 'P:k8s.Models.') or starts-with(@name, 'T:k8s.Models.')]">
          <member name="{@name}"><summary><xsl:value-of select="normalize-space(summary)" /></summary></member>
        </xsl:for-each>
      </members>
    </doc>
  </xsl:template>
</xsl:stylesheet>
