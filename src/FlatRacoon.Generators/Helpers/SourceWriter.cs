using System.Text;

namespace FlatRacoon.Generators.Helpers
{
    /// <summary>An indented text writer for generated C#; always "\n" line endings, four-space indents.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _builder = new();

        public int Indentation { get; set; }

        public SourceWriter Line(string text)
        {
            if (text.Length > 0)
            {
                _builder.Append(' ', Indentation * 4);
                _builder.Append(text);
            }
            _builder.Append('\n');
            return this;
        }

        public SourceWriter Line() => Line("");

        public SourceWriter Open(string? header = null)
        {
            if (header is not null)
            {
                Line(header);
            }
            Line("{");
            Indentation++;
            return this;
        }

        public SourceWriter Close(string suffix = "")
        {
            Indentation--;
            Line("}" + suffix);
            return this;
        }

        /// <summary>An XML doc element over one or more lines.</summary>
        public SourceWriter Doc(string element, string text)
        {
            var lines = Names.XmlDocLines(text);
            if (lines.Length == 1)
            {
                Line($"/// <{element}>{lines[0]}</{element}>");
            }
            else
            {
                Line($"/// <{element}>");
                foreach (var line in lines)
                {
                    Line(line.Length == 0 ? "///" : "/// " + line);
                }
                Line($"/// </{element}>");
            }
            return this;
        }

        /// <summary>An XML doc element whose content is already XML (the caller escaped user text).</summary>
        public SourceWriter DocXml(string element, string xml)
        {
            var lines = xml.Split('\n');
            if (lines.Length == 1)
            {
                Line($"/// <{element}>{xml}</{element}>");
                return this;
            }
            Line($"/// <{element}>");
            foreach (var line in lines)
            {
                Line(line.Length == 0 ? "///" : "/// " + line);
            }
            Line($"/// </{element}>");
            return this;
        }

        /// <summary>A <c>param</c> doc element; <paramref name="xml"/> is already XML.</summary>
        public SourceWriter Param(string name, string xml) => Line($"/// <param name=\"{name}\">{xml}</param>");

        /// <summary>A doc line already made of XML (the caller escaped what needs escaping).</summary>
        public SourceWriter DocXml(string xml) => Line("/// " + xml);

        public override string ToString() => _builder.ToString();
    }
}
