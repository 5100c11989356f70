using Corpus;
using FlatRacoon;

return await StackProgram.RunAsync(args, env => new Platform(env).WithStorage().Stack);
