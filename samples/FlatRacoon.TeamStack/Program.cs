using FlatRacoon;
using FlatRacoon.TeamStack;

// The stack project is the program: the declaration is a function of the environment, and the
// team's renderer, transform and environments come in through the options.
return await StackProgram.RunAsync(args, env => TeamStack.Create(env), TeamStack.Configure);
