using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FlatRacoon.Analyzers.CodeFixes
{
    /// <summary>FR1001: adds a module that provides the missing capability, right before the module that needs it.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddMissingProviderCodeFix)), Shared]
    public sealed class AddMissingProviderCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.MissingProvider);

        /// <inheritdoc />
        public override FixAllProvider? GetFixAllProvider() => null;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue("providers", out var providers) || string.IsNullOrEmpty(providers))
                {
                    continue;
                }
                var invocation = FixHelpers.AddInvocation(await FixHelpers.NodeAtAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false));
                var statement = invocation?.FirstAncestorOrSelf<StatementSyntax>();
                if (invocation?.Expression is not MemberAccessExpressionSyntax access || statement?.Parent is not BlockSyntax)
                {
                    continue;
                }
                foreach (var provider in providers!.Split(';'))
                {
                    var method = FixHelpers.AddMethodName(provider);
                    context.RegisterCodeFix(
                        CodeAction.Create($"Add the '{provider}' module ({method})",
                            async cancellation =>
                            {
                                var root = await context.Document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
                                var added = SyntaxFactory.ParseStatement($"{access.Expression.WithoutTrivia()}.{method}();")
                                    .WithLeadingTrivia(statement.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
                                    .WithTrailingTrivia(statement.GetTrailingTrivia());
                                return context.Document.WithSyntaxRoot(root!.InsertNodesBefore(statement, new[] { added }));
                            },
                            equivalenceKey: nameof(AddMissingProviderCodeFix) + provider),
                        diagnostic);
                }
            }
        }
    }
}
