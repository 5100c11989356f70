using FlatRacoon;
using FlatRacoon.Generated;

// The whole program in one file: the declaration is a local function of the environment.
return await StackProgram.RunAsync(args, Declare);

static StackBuilder Declare(StackEnvironment env)
{
    var stack = StackBuilder.Create("tiny", env);
    var os = stack.AddFlatracoonOs();
    var k8s = stack.AddPolyK8sMcp();
    stack.AddBgpBackboneLab(os, k8s);
    return stack;
}
