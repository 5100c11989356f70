using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class MeshExtensions
{
    public static IOverlayNetwork AddMesh(this StackBuilder stack, PolyK8sMcpResource k8s, ISecretStore secrets)
    {
        // The Kubernetes API is passed where the container hosts belong.
        return stack.AddZerotierK8sLink(k8s, k8s, secrets); // expect: CS1503
    }
}
