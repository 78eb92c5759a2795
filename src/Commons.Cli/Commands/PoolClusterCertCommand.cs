using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Community.Hosting;

namespace Commons.Cli.Commands;

/// <summary><c>commons pool cluster-cert</c>: the certificate every silo of one cluster shares for mutual TLS on the silo port.</summary>
internal static class PoolClusterCertCommand
{
    public static Command Create()
    {
        var command = new Command("cluster-cert", "Create the cluster's TLS certificate (PKCS#12, owner-only): every silo of the cluster is given the same file with --tls-certificate.");
        var output = new Option<string>("--out") { Description = "File to write (never overwritten).", DefaultValueFactory = _ => "cluster.pfx" };
        var name = new Option<string>("--name") { Description = "The certificate's subject (CN).", DefaultValueFactory = _ => "commons-pool-cluster" };
        var days = new Option<int>("--days") { Description = "Days until it expires.", DefaultValueFactory = _ => 825 };
        var force = new Option<bool>("--force") { Description = "Write the file even inside a git work tree." };
        foreach (var option in new Option[] { output, name, days, force })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var path = Path.GetFullPath(parse.GetValue(output)!);
            if (parse.GetValue(days) < 1)
            {
                throw new CommonsException("--days must be at least 1.");
            }

            if (!parse.GetValue(force) && KeyLocation.GitWorkTree(path) is { } workTree)
            {
                throw new CommonsException($"{path} is inside the git work tree {workTree}, where a private key is one 'git add' away from being published; write it elsewhere or pass --force.");
            }

            var bytes = SiloTls.CreateClusterCertificate(parse.GetValue(name)!, TimeSpan.FromDays(parse.GetValue(days)), null);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(path, options);
                file.Write(bytes);
            }
            catch (IOException ex) when (File.Exists(path))
            {
                throw new CommonsException($"{path} already exists; cluster-cert never overwrites a certificate.", ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CommonsException($"{path} cannot be written: {ex.Message}", ex);
            }

            Console.Out.WriteLine($"cluster certificate written to {path} (readable only by you); give every silo of the cluster a copy with --tls-certificate");
            return 0;
        });
        return command;
    }
}
