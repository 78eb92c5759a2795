using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using LLama.Native;

namespace Commons.Inference.Tools;

/// <summary>
/// Asks llama.cpp's own grammar parser whether it accepts a grammar. LLamaSharp adds a rejected
/// grammar to a sampler chain as a null sampler that crashes the process once sampling starts, so
/// a grammar is checked before it is used.
/// </summary>
public static class GbnfCheck
{
    private static readonly ConcurrentDictionary<string, bool> Checked = new(StringComparer.Ordinal);
    private static readonly Lazy<Api?> Native = new(LoadApi);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GetVocab(IntPtr model);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr InitGrammar(IntPtr vocab, [MarshalAs(UnmanagedType.LPUTF8Str)] string grammar, [MarshalAs(UnmanagedType.LPUTF8Str)] string root);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void FreeSampler(IntPtr sampler);

    /// <summary>True when llama.cpp parses <paramref name="grammar"/> for this model's vocabulary.</summary>
    public static bool IsAccepted(SafeLlamaModelHandle model, string grammar, string root = "root")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(grammar);
        return Checked.GetOrAdd(root + "\n" + grammar, _ => Check(model, grammar, root));
    }

    private static bool Check(SafeLlamaModelHandle model, string grammar, string root)
    {
        var api = Native.Value ?? throw new InvalidOperationException("llama.cpp's native library is not loaded; load a model first.");
        var added = false;
        model.DangerousAddRef(ref added);
        try
        {
            var vocab = api.GetVocab(model.DangerousGetHandle());
            var sampler = api.Init(vocab, grammar, root);
            if (sampler == IntPtr.Zero)
            {
                return false;
            }

            api.Free(sampler);
            return true;
        }
        finally
        {
            if (added)
            {
                model.DangerousRelease();
            }
        }
    }

    private static Api? LoadApi()
    {
        using var process = Process.GetCurrentProcess();
        var path = process.Modules.Cast<ProcessModule>()
            .Select(m => m.FileName)
            .FirstOrDefault(f => Path.GetFileName(f).StartsWith("libllama.", StringComparison.Ordinal) || Path.GetFileName(f).Equals("llama.dll", StringComparison.OrdinalIgnoreCase));
        if (path is null)
        {
            return null;
        }

        var library = NativeLibrary.Load(path);
        return new Api(
            Marshal.GetDelegateForFunctionPointer<GetVocab>(NativeLibrary.GetExport(library, "llama_model_get_vocab")),
            Marshal.GetDelegateForFunctionPointer<InitGrammar>(NativeLibrary.GetExport(library, "llama_sampler_init_grammar")),
            Marshal.GetDelegateForFunctionPointer<FreeSampler>(NativeLibrary.GetExport(library, "llama_sampler_free")));
    }

    private sealed record Api(GetVocab GetVocab, InitGrammar Init, FreeSampler Free);
}
