using System;
using FlatRacoon;
using FlatRacoon.Generated;

// A team's own module (modules/hello-api) next to the package's built-in ones.
Console.WriteLine($"descriptor: {FlatRacoonModules.HelloApi.Name} {FlatRacoonModules.HelloApi.Version} {FlatRacoonModules.HelloApi.Layer}");
Console.WriteLine($"capability: {Capabilities.Greetings} {Capabilities.OverlayNetwork}");
Console.WriteLine($"default greeting: {HelloApiConfig.Default.Greeting}");

// The declaration is a function of the environment: the build evaluates it for each one.
return await StackProgram.RunAsync(args, environment =>
{
    var stack = StackBuilder.Create("consumer", environment);
    stack.AddHelloApi(config => config with { Greeting = "hello from the consumer", Replicas = 2 });
    return stack;
});
