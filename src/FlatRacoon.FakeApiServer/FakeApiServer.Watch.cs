using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace FlatRacoon.Testing.Fake;

// Watches (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes):
// a GET of a collection with watch=true streams one JSON watch event per line (ADDED, MODIFIED,
// DELETED) until timeoutSeconds passes or the client goes away. kubectl rollout status, kubectl wait
// and kubectl get --watch use them. The fake watches by reading the collection again every 50 ms.
public sealed partial class FakeApiServer
{
    private static readonly TimeSpan WatchPollInterval = TimeSpan.FromMilliseconds(50);

    private async Task WatchAsync(HttpContext ctx, string path)
    {
        var query = ctx.Request.Query;
        var table = WantsTable(ctx.Request.Headers.Accept.ToString());
        var includeObject = query["includeObject"].ToString();
        var since = long.TryParse(query["resourceVersion"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;
        var timeout = int.TryParse(query["timeoutSeconds"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        (int Status, JsonObject Body) Read()
        {
            t_warnings = null;
            return Route("GET", path, query, null, "");
        }
        var (status, list) = Read();
        if (status >= 300 || list["items"] is not JsonArray)
        {
            await WriteAsync(ctx, status >= 300 ? status : 400, status >= 300 ? list : Status(400, "BadRequest", "watch is served on collections only"));
            return;
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var apiVersion = list["apiVersion"]!.GetValue<string>();
        var kind = list["kind"]!.GetValue<string>()[..^4];
        var known = new Dictionary<string, JsonObject>(StringComparer.Ordinal);

        async Task SendAsync(string type, JsonObject item)
        {
            var o = (JsonObject)item.DeepClone();
            o["apiVersion"] = apiVersion;
            o["kind"] = kind;
            var shown = table ? Table(o, includeObject) : o;
            await ctx.Response.WriteAsync(new JsonObject { ["type"] = type, ["object"] = shown }.ToJsonString() + "\n", ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }

        static string Key(JsonObject item) => $"{item["metadata"]?["namespace"]}/{item["metadata"]?["name"]}";
        static long Version(JsonObject item) => long.TryParse(item["metadata"]?["resourceVersion"]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

        var deadline = DateTimeOffset.UtcNow + timeout;
        try
        {
            foreach (var item in list["items"]!.AsArray().OfType<JsonObject>())
            {
                known[Key(item)] = item;
                if (since == 0 || Version(item) > since)
                {
                    await SendAsync("ADDED", item); // without a resourceVersion: the current state first, as synthetic ADDED events
                }
            }
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            while (DateTimeOffset.UtcNow < deadline && !ctx.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(WatchPollInterval, ctx.RequestAborted);
                (status, list) = Read();
                if (status >= 300)
                {
                    return;
                }
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in list["items"]!.AsArray().OfType<JsonObject>())
                {
                    var key = Key(item);
                    seen.Add(key);
                    if (!known.TryGetValue(key, out var before))
                    {
                        await SendAsync("ADDED", item);
                    }
                    else if (!JsonNode.DeepEquals(before, item))
                    {
                        await SendAsync("MODIFIED", item); // includes status the simulated controllers changed
                    }
                    known[key] = item;
                }
                foreach (var gone in known.Keys.Where(k => !seen.Contains(k)).ToList())
                {
                    await SendAsync("DELETED", known[gone]);
                    known.Remove(gone);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
    }
}
