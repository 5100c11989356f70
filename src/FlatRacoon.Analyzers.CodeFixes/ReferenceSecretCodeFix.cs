using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FlatRacoon.Analyzers.CodeFixes
{
    /// <summary>
    /// FR2001: replaces a plain secret with a Vault reference placeholder
    /// (<c>vault://secret/flatracoon/&lt;module&gt;#&lt;setting&gt;</c>) to fill in; the value leaves the code.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReferenceSecretCodeFix)), Shared]
    public sealed class ReferenceSecretCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.PlainSecret);

        /// <inheritdoc />
        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue("placeholder", out var placeholder) || placeholder is null)
                {
                    continue;
                }
                var node = await FixHelpers.NodeAtAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                if (node is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.StringLiteralExpression))
                {
                    continue;
                }
                context.RegisterCodeFix(
                    CodeAction.Create("Replace with a secret reference placeholder",
                        async cancellation =>
                        {
                            var root = await context.Document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
                            var reference = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(placeholder))
                                .WithTriviaFrom(literal);
                            return context.Document.WithSyntaxRoot(root!.ReplaceNode(literal, reference));
                        },
                        equivalenceKey: nameof(ReferenceSecretCodeFix)),
                    diagnostic);
            }
        }
    }
}
