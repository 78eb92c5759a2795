using System.Runtime.InteropServices;
using LLama;
using LLama.Exceptions;
using LLama.Native;

namespace Commons.Inference.Llama;

/// <summary>The chat templates llama.cpp can render by name (<c>--template</c>, <c>Model:ChatTemplate</c>).</summary>
public static class ChatTemplates
{
    private static readonly Lazy<IReadOnlyList<string>> Names = new(ReadBuiltIn);

    /// <summary>The names llama.cpp knows, such as <c>chatml</c>, <c>llama3</c>, <c>mistral-v7</c>.</summary>
    public static IReadOnlyList<string> BuiltIn => Names.Value;

    /// <summary>
    /// True when llama.cpp can render a conversation with <paramref name="template"/>: a built-in name, or
    /// template text it recognises. Checked by rendering one message, as every reply will.
    /// </summary>
    public static bool CanRender(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        try
        {
            _ = new LLamaTemplate(template) { AddAssistant = true }.Add("user", "hello").Apply();
            return true;
        }
        catch (MissingTemplateException)
        {
            return false;
        }
    }

    private static unsafe IReadOnlyList<string> ReadBuiltIn()
    {
        // LLamaSharp declares the C strings as char**; they are UTF-8 byte pointers.
        var count = NativeApi.llama_chat_builtin_templates(null, 0);
        if (count <= 0)
        {
            return [];
        }

        var pointers = new char*[count];
        fixed (char** output = pointers)
        {
            count = Math.Min(count, NativeApi.llama_chat_builtin_templates(output, (nuint)pointers.Length));
        }

        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            if (Marshal.PtrToStringUTF8((nint)pointers[i]) is { Length: > 0 } name)
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
