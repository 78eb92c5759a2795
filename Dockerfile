# Commons in a container: the same `commons` executable as on a person's machine.
# Community members run `commons pool serve` from it (see deploy/); a person normally runs
# commons directly, but `docker run -it -v commons:/data IMAGE chat --model /data/models/x.gguf` works too.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY deploy/sql deploy/sql
COPY policies policies
COPY src src
RUN dotnet publish src/Commons.Cli/Commons.Cli.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# llama.cpp's CPU backend needs OpenMP and the C++ runtime.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 libstdc++6 curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 commons && mkdir -p /data && chown commons /data
USER commons
ENV COMMONS_HOME=/data DOTNET_gcServer=1
VOLUME ["/data"]
WORKDIR /app
COPY --from=build /app .
ENTRYPOINT ["dotnet", "/app/commons.dll"]
CMD ["--help"]
