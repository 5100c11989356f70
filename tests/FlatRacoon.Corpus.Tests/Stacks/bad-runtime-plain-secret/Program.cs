using Corpus;
using FlatRacoon;

return await StackProgram.RunAsync(args, env => NetStack.Create(env));
