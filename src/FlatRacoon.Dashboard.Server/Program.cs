using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using FlatRacoon.Dashboard;

// The network-dashboard module's container: stack.json from $FLATRACOON_STACK, status from the
// endpoint it names; SIGTERM (Kubernetes stopping the pod) or Ctrl+C stops it.
var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
foreach (DictionaryEntry pair in Environment.GetEnvironmentVariables())
{
    environment[(string)pair.Key] = pair.Value as string;
}
return await InClusterDashboard.RunAsync(environment, Console.Out, Console.Error, stop.Token);
