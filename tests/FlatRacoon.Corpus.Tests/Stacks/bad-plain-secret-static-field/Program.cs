using Corpus;
using FlatRacoon;

return await StackProgram.RunAsync(args, env => AccessStack.Create(env));
