using FlatRacoon;
using FlatRacoon.Generated;          // generated from the manifests and Nickel exports

// The stack project is the program; the declaration is a function of the environment,
// so `--environment NAME` picks one and the build checks every one.
return await StackProgram.RunAsync(args, environment =>
{
    var stack = StackBuilder.Create("flatracoon-netstack", environment);
    var hosts = stack.AddFlatracoonOs();
    var kubernetes = stack.AddPolyK8sMcp();
    var secrets = stack.AddPolySecretMcp(kubernetes);
    var overlay = stack.AddZerotierK8sLink(hosts, kubernetes, secrets,
        config: new ZerotierK8sLinkConfig { NetworkId = "f1a7c0de00f10003" });   // or per environment in environments.ncl
    stack.AddIpfsOverlay(overlay, kubernetes, secrets, c => c with { Replicas = 5 });   // IPFS takes the overlay, typed
    return stack;
});
