using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FlatRacoon.Analyzers.CodeFixes
{
    /// <summary>
    /// FR1004: binds the IPFS module to the stack's overlay with <c>.WithOverlay(overlay)</c>; when the
    /// overlay module is not held in a local yet, it is put in one first.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BindToOverlayCodeFix)), Shared]
    public sealed class BindToOverlayCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.IpfsNotOnOverlay);

        /// <inheritdoc />
        public override FixAllProvider? GetFixAllProvider() => null;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue("overlay", out var overlay) || overlay is null)
                {
                    continue;
                }
                var node = await FixHelpers.NodeAtAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                if (node is not InvocationExpressionSyntax invocation || FixHelpers.AddInvocation(invocation) != invocation)
                {
                    continue;
                }
                var block = invocation.FirstAncestorOrSelf<BlockSyntax>();
                if (block is null)
                {
                    continue;
                }
                var method = FixHelpers.AddMethodName(overlay);
                context.RegisterCodeFix(
                    CodeAction.Create($"Bind to the overlay '{overlay}' (WithOverlay)",
                        cancellation => BindAsync(context.Document, invocation, block, method, cancellation),
                        equivalenceKey: nameof(BindToOverlayCodeFix)),
                    diagnostic);
            }
        }

        private static async Task<Document> BindAsync(Document document, InvocationExpressionSyntax ipfs, BlockSyntax block, string overlayMethod, CancellationToken cancellation)
        {
            var root = (await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false))!;
            bool AddsOverlay(SyntaxNode n) => n.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                .Any(i => i.Expression is MemberAccessExpressionSyntax m && m.Name.Identifier.Text == overlayMethod);

            // An existing local that holds the overlay module.
            var declarator = block.DescendantNodes().OfType<VariableDeclaratorSyntax>()
                .FirstOrDefault(d => d.Initializer != null && AddsOverlay(d.Initializer.Value));
            var name = declarator?.Identifier.Text ?? "overlay";
            var bound = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ipfs.WithoutTrivia(), SyntaxFactory.IdentifierName("WithOverlay")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(name)))))
                .WithTriviaFrom(ipfs);
            if (declarator != null)
            {
                return document.WithSyntaxRoot(root.ReplaceNode(ipfs, bound));
            }

            // `stack.AddZerotierK8sLink();` as a bare statement: keep it in a local, then bind.
            var statement = block.Statements.OfType<ExpressionStatementSyntax>().FirstOrDefault(s => AddsOverlay(s.Expression));
            if (statement is null)
            {
                return document;
            }
            var declaration = SyntaxFactory.ParseStatement($"var {name} = {statement.Expression.WithoutTrivia()};")
                .WithTriviaFrom(statement);
            var tracked = root.TrackNodes(ipfs, statement);
            tracked = tracked.ReplaceNode(tracked.GetCurrentNode(ipfs)!, bound);
            tracked = tracked.ReplaceNode(tracked.GetCurrentNode(statement)!, declaration);
            return document.WithSyntaxRoot(tracked);
        }
    }
}
