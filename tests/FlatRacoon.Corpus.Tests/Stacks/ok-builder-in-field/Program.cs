using Corpus;
using FlatRacoon;

return await StackProgram.RunAsync(args, env => new SiteStack(env).Declare());
