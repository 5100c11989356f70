using Corpus;
using FlatRacoon;

return await StackProgram.RunAsync(args, env => Stacks.Edge(env));
