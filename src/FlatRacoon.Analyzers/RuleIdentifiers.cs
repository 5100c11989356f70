namespace FlatRacoon.Analyzers
{
    /// <summary>
    /// The topology rules' IDs and help links, in one place. The rules themselves arrive with the
    /// analyzer issue; FR0xxx (input files) are reported by the generator.
    /// </summary>
    public static class RuleIdentifiers
    {
        /// <summary>Where every rule's page lives: docs/rules/&lt;ID&gt;.md.</summary>
        public const string HelpLinkBase = "https://github.com/flatracoon/flatracoon-sdk/blob/main/docs/rules/";

        /// <summary>The help link of <paramref name="id"/>.</summary>
        public static string HelpLink(string id) => HelpLinkBase + id + ".md";
    }
}
