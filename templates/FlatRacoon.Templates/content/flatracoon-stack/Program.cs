using FlatRacoon;
using FlatRacoonStack;

// The project is the program: `dotnet run -- render --environment development`, `plan`, `apply`, ...
// The declaration is a function of the environment (configs/environments.json, registered by the
// generated code; production is used without --environment), and `dotnet build` checks it for
// every environment.
return await StackProgram.RunAsync(args, env => StackDeclaration.Create(env));
