using FlatRacoon;
using FlatRacoon.Samples;

// The stack project is the program: render, validate, graph, explain.
return await NetStack.Create().RunAsync(args);
