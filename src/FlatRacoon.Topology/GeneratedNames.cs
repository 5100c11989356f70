using System.Text;

namespace FlatRacoon.Topology
{
    /// <summary>
    /// How the generator names C# members after JSON names. Shared source: the generator emits
    /// <c>Add&lt;Pascal&gt;</c> methods with it and the analyzers recognise them with it, so the two
    /// can never disagree.
    /// </summary>
    internal static class GeneratedNames
    {
        /// <summary>
        /// <c>ipfs-overlay</c> → <c>IpfsOverlay</c>, <c>network_id</c> → <c>NetworkId</c>: every run of
        /// letters and digits starts with an upper-case letter; everything else separates words.
        /// A leading digit gets an underscore. Null when no letter or digit remains.
        /// </summary>
        public static string? Pascal(string name)
        {
            var builder = new StringBuilder(name.Length + 1);
            var startOfWord = true;
            foreach (var c in name)
            {
                if (char.IsLetterOrDigit(c))
                {
                    if (builder.Length == 0 && char.IsDigit(c))
                    {
                        builder.Append('_');
                    }
                    builder.Append(startOfWord ? char.ToUpperInvariant(c) : c);
                    startOfWord = false;
                }
                else
                {
                    startOfWord = true;
                }
            }
            return builder.Length > 0 ? builder.ToString() : null;
        }
    }
}
