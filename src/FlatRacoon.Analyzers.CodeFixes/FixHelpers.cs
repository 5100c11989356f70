using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FlatRacoon.Analyzers.CodeFixes
{
    internal static class FixHelpers
    {
        /// <summary>The generator's method name for a module (<c>poly-secret-mcp</c> → <c>AddPolySecretMcp</c>).</summary>
        public static string AddMethodName(string module)
        {
            var builder = new StringBuilder("Add");
            var startOfWord = true;
            foreach (var c in module)
            {
                if (char.IsLetterOrDigit(c))
                {
                    builder.Append(startOfWord ? char.ToUpperInvariant(c) : c);
                    startOfWord = false;
                }
                else
                {
                    startOfWord = true;
                }
            }
            return builder.ToString();
        }

        public static async Task<SyntaxNode?> NodeAtAsync(Document document, Diagnostic diagnostic, CancellationToken cancellation)
        {
            var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
            return root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        }

        /// <summary>The innermost <c>stack.AddX(...)</c> call at or under <paramref name="node"/>.</summary>
        public static InvocationExpressionSyntax? AddInvocation(SyntaxNode? node) =>
            node?.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i =>
                i.Expression is MemberAccessExpressionSyntax m && m.Name.Identifier.Text.StartsWith("Add", System.StringComparison.Ordinal));
    }
}
