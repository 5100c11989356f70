using Corpus;
using FlatRacoon;

// Production runs the core stack; the other environments run the lab stack.
return await StackProgram.RunAsync(args, env => env.Name == "production" ? CoreStack.Create(env) : LabStack.Create(env));
