using System.Runtime.CompilerServices;
using Emergence.Engine.Plugins;

namespace Emergence.Engine.Tests.Plugins;

public class PluginLoaderTests
{
    [Fact]
    public void Load_GoodFixture_RegistersItsComponents()
    {
        var plugin = PluginLoader.Load(FixturePlugins.MainAssembly("Fixture.Good"));
        try
        {
            plugin.Descriptor.Info.Name.Should().Be("fixture-good");
            plugin.Descriptor.Models.Keys.Should().Equal("m");
            plugin.Descriptor.DefaultTrainer.Should().Be("t");
            plugin.Descriptor.AssemblySha256.Should().HaveLength(64);
        }
        finally
        {
            plugin.Context.Unload();
        }
    }

    [Fact]
    public void Load_ThrowingConstructor_ReportsTheConstructorFailure()
    {
        var act = () => PluginLoader.Load(FixturePlugins.MainAssembly("Fixture.ThrowingConstructor"));
        act.Should().Throw<PluginLoadException>()
            .WithMessage("*Fixture.ThrowingConstructor.dll*constructor*ThrowingPlugin*InvalidOperationException: fixture constructor failure*");
    }

    [Fact]
    public void Load_ThrowingRegister_ReportsTheRegisterFailure()
    {
        var act = () => PluginLoader.Load(FixturePlugins.MainAssembly("Fixture.ThrowingRegister"));
        act.Should().Throw<PluginLoadException>()
            .WithMessage("plugin 'fixture-throwing-register'*threw during Register: NotSupportedException: fixture register failure");
    }

    [Fact]
    public void Load_NoAttribute_SaysWhichAttributeToAdd()
    {
        var act = () => PluginLoader.Load(FixturePlugins.MainAssembly("Fixture.NoAttribute"));
        act.Should().Throw<PluginLoadException>().WithMessage("*has no [assembly: EmergencePlugin(typeof(...))] attribute*");
    }

    [Fact]
    public void Load_PrivateDependency_ResolvesFromThePluginFolder()
    {
        var plugin = PluginLoader.Load(FixturePlugins.MainAssembly("Fixture.WithDependency"));
        try
        {
            plugin.Descriptor.Info.Description.Should().Be("hello from a private dependency");
        }
        finally
        {
            plugin.Context.Unload();
        }
    }

    [Fact]
    public void Load_MissingDependency_NamesTheMissingAssembly()
    {
        using var temp = new TempDir();
        var main = FixturePlugins.CopyTo("Fixture.WithDependency", temp.Path);
        File.Delete(Path.Combine(Path.GetDirectoryName(main)!, "Fixture.PrivateLib.dll"));
        var act = () => PluginLoader.Load(main);
        act.Should().Throw<PluginLoadException>().WithMessage("*dependency is missing: Fixture.PrivateLib*copy the plugin's whole build output*");
    }

    [Fact]
    public void Load_BuiltAgainstAnotherContract_AsksForARebuild()
    {
        var act = () => PluginLoader.Load(FixturePlugins.MainAssembly("Fixture.BuiltAgainstOtherContract"));
        act.Should().Throw<PluginLoadException>()
            .WithMessage("*built against Emergence.Contracts 99.0.0.0, but this host provides 1.0.0.0; rebuild the plugin*");
    }

    [Fact]
    public void Load_PluginShipsItsOwnContractCopy_StillUsesTheHostContract()
    {
        using var temp = new TempDir();
        var main = FixturePlugins.CopyTo("Fixture.Good", temp.Path);
        File.Copy(typeof(Emergence.Contracts.Plugins.IPlugin).Assembly.Location,
            Path.Combine(Path.GetDirectoryName(main)!, "Emergence.Contracts.dll"));
        var plugin = PluginLoader.Load(main);
        try
        {
            plugin.Descriptor.Info.Name.Should().Be("fixture-good");
        }
        finally
        {
            plugin.Context.Unload();
        }
    }

    [Fact]
    public void Load_NotAnAssembly_SaysSo()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "Broken.dll");
        File.WriteAllText(path, "this is not a PE file");
        var act = () => PluginLoader.Load(path);
        act.Should().Throw<PluginLoadException>().WithMessage("*'Broken.dll' is not a .NET assembly*");
    }

    [Fact]
    public void Unload_GoodFixture_ContextIsCollected()
    {
        var weak = LoadAndUnload(FixturePlugins.MainAssembly("Fixture.Good"));
        for (int i = 0; weak.IsAlive && i < 10; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        weak.IsAlive.Should().BeFalse("nothing in the host may keep a reference to an unloaded plugin");
    }

    [Fact]
    public void Discover_FolderWithBrokenPlugins_LoadsTheGoodOnesAndRecordsErrors()
    {
        using var temp = new TempDir();
        FixturePlugins.CopyTo("Fixture.Good", temp.Path);
        FixturePlugins.CopyTo("Fixture.ThrowingConstructor", temp.Path);
        FixturePlugins.CopyTo("Fixture.NoAttribute", temp.Path);
        var catalog = PluginCatalog.Discover([temp.Path]);
        catalog.Names.Should().Equal("fixture-good");
        catalog.Errors.Should().HaveCount(2);
        catalog.Find("fixture-good").Should().NotBeNull();
        catalog.Find("nope").Should().BeNull();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadAndUnload(string path)
    {
        var plugin = PluginLoader.Load(path);
        plugin.Descriptor.Info.Name.Should().Be("fixture-good");
        var weak = new WeakReference(plugin.Context);
        plugin.Context.Unload();
        return weak;
    }
}
