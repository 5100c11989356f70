using Corpus;
using FlatRacoon;

return await StackProgram.RunAsync(args, env => new Sites(env).Storage);
