using FlatRacoon;
using FlatRacoon.Generated;

namespace TestingConsumer;

/// <summary>The team's declaration, as its stack program's Program.cs would pass it.</summary>
public static class ConsumerStack
{
    public static StackBuilder Create(StackEnvironment environment)
    {
        var stack = StackBuilder.Create("consumer", environment);
        stack.AddHelloApi(config => config with { Greeting = "hello from the consumer", Replicas = 2 });
        return stack;
    }
}
