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
    /// "Pass the overlay": a generated <c>Add&lt;Module&gt;</c> call that misses a provider argument
    /// (CS7036) gets a fix for each variable, parameter, field or property in scope whose type provides
    /// the capability: it adds the named argument (<c>overlay: overlay</c>).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PassProviderCodeFix)), Shared]
    public sealed class PassProviderCodeFix : CodeFixProvider
    {
        private const string MissingArgument = "CS7036";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(MissingArgument);

        /// <inheritdoc />
        public override FixAllProvider? GetFixAllProvider() => null;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }
            var invocation = root.FindNode(context.Span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            var providerInterface = model.Compilation.GetTypeByMetadataName("FlatRacoon.ICapabilityProvider");
            if (invocation is null || providerInterface is null)
            {
                return;
            }
            var symbolInfo = model.GetSymbolInfo(invocation, context.CancellationToken);
            var method = (symbolInfo.Symbol ?? symbolInfo.CandidateSymbols.FirstOrDefault()) as IMethodSymbol;
            if (method is null || !method.Name.StartsWith("Add", System.StringComparison.Ordinal))
            {
                return;
            }
            method = method.ReducedFrom ?? method;
            var given = invocation.ArgumentList.Arguments;
            var named = given.Where(a => a.NameColon is not null).Select(a => a.NameColon!.Name.Identifier.Text).ToImmutableHashSet();
            var positional = given.TakeWhile(a => a.NameColon is null).Count() + (method.IsExtensionMethod ? 1 : 0);
            for (var i = 0; i < method.Parameters.Length; i++)
            {
                var parameter = method.Parameters[i];
                if (i < positional || named.Contains(parameter.Name) || parameter.IsOptional
                    || !parameter.Type.AllInterfaces.Contains(providerInterface, SymbolEqualityComparer.Default))
                {
                    continue;
                }
                foreach (var candidate in Candidates(model, invocation.SpanStart, parameter.Type))
                {
                    var argument = SyntaxFactory.Argument(
                        SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(parameter.Name)), default,
                        SyntaxFactory.IdentifierName(candidate));
                    var title = $"Pass '{candidate}' as {parameter.Name}";
                    context.RegisterCodeFix(
                        CodeAction.Create(title, c => AddArgumentAsync(context.Document, invocation, argument, c), equivalenceKey: title),
                        context.Diagnostics);
                }
                return;
            }
        }

        private static ImmutableArray<string> Candidates(SemanticModel model, int position, ITypeSymbol wanted) =>
            model.LookupSymbols(position)
                .Where(s => s is ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol)
                .Where(s => TypeOf(s) is { } type && model.Compilation.ClassifyConversion(type, wanted).IsImplicit && type.SpecialType != SpecialType.System_Object)
                .Select(s => s.Name)
                .Distinct()
                .OrderBy(n => n, System.StringComparer.Ordinal)
                .ToImmutableArray();

        private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        private static async Task<Document> AddArgumentAsync(Document document, InvocationExpressionSyntax invocation, ArgumentSyntax argument, CancellationToken cancellation)
        {
            var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
            var updated = invocation.WithArgumentList(invocation.ArgumentList.AddArguments(argument));
            return document.WithSyntaxRoot(root!.ReplaceNode(invocation, updated));
        }
    }
}
