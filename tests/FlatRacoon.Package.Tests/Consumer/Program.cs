using System;
using FlatRacoon;
using FlatRacoon.Generated;

// A team's own module (modules/hello-api) next to the package's built-in ones.
Console.WriteLine($"descriptor: {FlatRacoonModules.HelloApi.Name} {FlatRacoonModules.HelloApi.Version} {FlatRacoonModules.HelloApi.Layer}");
Console.WriteLine($"capability: {Capabilities.Greetings} {Capabilities.OverlayNetwork}");
Console.WriteLine($"default greeting: {HelloApiConfig.Default.Greeting}");

var stack = StackBuilder.Create("consumer");
stack.AddHelloApi(config => config with { Greeting = "hello from the consumer", Replicas = 2 });
return await stack.RunAsync(args);
