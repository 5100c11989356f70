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
    /// <summary>FR1005: replaces an IPv4 or dual-stack IP family with IPv6 single-stack.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseIpv6SingleStackCodeFix)), Shared]
    public sealed class UseIpv6SingleStackCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.Ipv4Exposure);

        /// <inheritdoc />
        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue("fix", out var fix) || fix != "ipv6")
                {
                    continue;
                }
                var node = await FixHelpers.NodeAtAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                SyntaxNode? replacement = node switch
                {
                    MemberAccessExpressionSyntax member => member.WithName(SyntaxFactory.IdentifierName("Ipv6").WithTriviaFrom(member.Name)),
                    LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) =>
                        SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal("ipv6")).WithTriviaFrom(literal),
                    _ => null,
                };
                if (node is null || replacement is null)
                {
                    continue;
                }
                context.RegisterCodeFix(
                    CodeAction.Create("Use IPv6 single-stack",
                        async cancellation =>
                        {
                            var root = await context.Document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
                            return context.Document.WithSyntaxRoot(root!.ReplaceNode(node, replacement));
                        },
                        equivalenceKey: nameof(UseIpv6SingleStackCodeFix)),
                    diagnostic);
            }
        }
    }
}
