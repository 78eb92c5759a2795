using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tests.Tools;

/// <summary>Tool declarations shaped like the ones Semantic Kernel advertises.</summary>
internal static class SampleTools
{
    public static readonly AIFunction NotesSearch = AIFunctionFactory.Create(
        ([Description("Words to look for")] string query, [Description("How many notes at most")] int limit = 5) => "",
        "notes_search",
        "Searches the person's notes.");

    public static readonly AIFunction TimeNow = AIFunctionFactory.Create(() => "", "time_now", "The current time.");

    public static IReadOnlyList<AIFunctionDeclaration> All { get; } = [NotesSearch, TimeNow];
}
