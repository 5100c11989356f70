using FlatRacoon;
using FlatRacoon.Generated;
using FlatRacoonStack;

// The project is the program: `dotnet run -- render --environment development`, `plan`, `apply`, ...
// The declaration is a function of the environment (configs/environments.json).
return await StackProgram.RunAsync(args, env => StackDeclaration.Create(env), options => options
    // The environments of configs/environments.json; production is used without --environment.
    .AddEnvironment(Environments.Development.Environment)
    .AddEnvironment(Environments.Production.Environment, isDefault: true));
