using FlatRacoon;
using FlatRacoon.Samples;

// The stack project is the program: render, validate, graph, explain, plan, apply...
// The declaration is a function of the environment (--environment NAME), so the build
// evaluates it for every environment of configs/environments.ncl.
return await StackProgram.RunAsync(args, environment => NetStack.Create(environment));
