using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Commons.Tools.Policy;

/// <summary>Reads <c>tools.yaml</c>; every problem is reported with its file and line before failing.</summary>
public static partial class ToolPolicyLoader
{
    /// <summary>The file name inside a policies folder.</summary>
    public const string FileName = "tools.yaml";

    /// <summary>The environment variable that names a policies folder (shared with the other policies).</summary>
    public const string PoliciesVariable = "COMMONS_POLICIES";

    /// <summary>
    /// The policies folder: an explicit one, else <c>COMMONS_POLICIES</c>, else <c>$COMMONS_HOME/policies</c>
    /// when it exists, else the folder shipped beside the program.
    /// </summary>
    public static string ResolveFolder(string? explicitFolder, string commonsHome)
    {
        if (!string.IsNullOrWhiteSpace(explicitFolder))
        {
            return Path.GetFullPath(explicitFolder);
        }

        var configured = Environment.GetEnvironmentVariable(PoliciesVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var personal = Path.Combine(commonsHome, "policies");
        return Directory.Exists(personal) ? personal : Path.Combine(AppContext.BaseDirectory, "policies");
    }

    /// <summary>Loads a policy file; a missing file gives <see cref="ToolPolicy.AskForEverything"/>.</summary>
    public static ToolPolicy LoadOrDefault(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.Exists(path) ? Load(path) : ToolPolicy.AskForEverything;
    }

    /// <summary>Loads and checks a policy file.</summary>
    public static ToolPolicy Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolPolicyException($"The tool policy {full} cannot be read: {ex.Message}", ex);
        }

        return Parse(text, full);
    }

    /// <summary>Parses policy text; <paramref name="source"/> names it in error messages.</summary>
    public static ToolPolicy Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<string>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ToolPolicyException($"{source}:{ex.Start.Line}: the file is not valid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ToolPolicyException($"{source}: the file must hold one YAML mapping (version, tools, files).");
        }

        var known = new HashSet<string>(StringComparer.Ordinal) { "version", "tools", "files" };
        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>().Where(k => !known.Contains(k.Value ?? "")))
        {
            errors.Add($"{source}:{key.Start.Line}: unknown key '{key.Value}' (expected version, tools, files)");
        }

        if (Scalar(root, "version") is not { } version)
        {
            errors.Add($"{source}:1: 'version' is missing; this Commons reads version 1");
        }
        else if (version.Value != "1")
        {
            errors.Add($"{source}:{version.Start.Line}: version {version.Value} is not supported; this Commons reads version 1");
        }

        List<string> allow = [], confirm = [], deny = [], folders = [];
        var fallback = ToolDecision.Confirm;
        if (Child(root, "tools") is { } toolsNode)
        {
            if (toolsNode is not YamlMappingNode tools)
            {
                errors.Add($"{source}:{toolsNode.Start.Line}: 'tools' must be a mapping with allow, confirm, deny and default");
            }
            else
            {
                allow = Names(tools, "allow", source, errors);
                confirm = Names(tools, "confirm", source, errors);
                deny = Names(tools, "deny", source, errors);
                if (Scalar(tools, "default") is { } defaultNode)
                {
                    fallback = defaultNode.Value switch
                    {
                        "allow" => ToolDecision.Allow,
                        "confirm" => ToolDecision.Confirm,
                        "deny" => ToolDecision.Deny,
                        _ => Invalid(defaultNode),
                    };
                }

                foreach (var name in allow.Intersect(confirm.Concat(deny), StringComparer.Ordinal))
                {
                    errors.Add($"{source}: tool '{name}' is listed both as allowed and as needing confirmation or denied");
                }
            }
        }

        if (Child(root, "files") is YamlMappingNode files)
        {
            foreach (var folder in Names(files, "folders", source, errors, isFolder: true))
            {
                folders.Add(ExpandFolder(folder));
            }
        }
        else if (Child(root, "files") is { } other)
        {
            errors.Add($"{source}:{other.Start.Line}: 'files' must be a mapping with a 'folders' list");
        }

        if (errors.Count > 0)
        {
            throw new ToolPolicyException(string.Join(Environment.NewLine, errors));
        }

        return new ToolPolicy(allow, confirm, deny, fallback, folders, source);

        ToolDecision Invalid(YamlScalarNode node)
        {
            errors.Add($"{source}:{node.Start.Line}: default must be allow, confirm or deny, not '{node.Value}'");
            return ToolDecision.Confirm;
        }
    }

    /// <summary><c>~</c> is the home folder; relative folders are relative to the home folder too.</summary>
    public static string ExpandFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (folder == "~")
        {
            return home;
        }

        if (folder.StartsWith("~/", StringComparison.Ordinal))
        {
            folder = Path.Combine(home, folder[2..]);
        }

        return Path.GetFullPath(folder, home);
    }

    private static List<string> Names(YamlMappingNode map, string key, string source, List<string> errors, bool isFolder = false)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            errors.Add($"{source}:{node.Start.Line}: '{key}' must be a list");
            return [];
        }

        var names = new List<string>();
        foreach (var item in list.Children)
        {
            if (item is not YamlScalarNode { Value: { Length: > 0 } value })
            {
                errors.Add($"{source}:{item.Start.Line}: each entry of '{key}' must be a plain value");
                continue;
            }

            if (!isFolder && !ToolNamePattern().IsMatch(value))
            {
                errors.Add($"{source}:{item.Start.Line}: '{value}' is not a tool name (plugin_function, or a prefix ending in *)");
                continue;
            }

            names.Add(value);
        }

        return names;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static YamlScalarNode? Scalar(YamlMappingNode map, string key) => Child(map, key) as YamlScalarNode;

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9_]*)?\\*?$")]
    private static partial Regex ToolNamePattern();
}
