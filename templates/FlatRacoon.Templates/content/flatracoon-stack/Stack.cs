using FlatRacoon;
using FlatRacoon.Generated;

namespace FlatRacoonStack;

/// <summary>The stack: which modules run, bound how. The modules' settings come from configs/environments.json.</summary>
public static class StackDeclaration
{
    /// <summary>Declares the stack for <paramref name="environment"/>.</summary>
    public static StackBuilder Create(StackEnvironment environment)
    {
        var stack = StackBuilder.Create("flatracoon-stack-name", environment);

        // A built-in module: the Kubernetes API for the stack's tools (poly-k8s-mcp).
        stack.AddPolyK8sMcp();

        // The project's own module (modules/hello-web): its manifest and schema make AddHelloWeb.
        stack.AddHelloWeb(web => web with { Greeting = $"hello from {environment.Name}" });

        return stack;
    }
}
