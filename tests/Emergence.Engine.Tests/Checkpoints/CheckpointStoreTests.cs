using Emergence.Engine.Checkpoints;
using Emergence.Engine.Tests.MessagePack;

namespace Emergence.Engine.Tests.Checkpoints;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(TestPaths.NewTempDirectory("ckpt-store"), "checkpoints");
    private readonly List<string> _warnings = [];

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    private string Save(CheckpointStore store, long step) =>
        store.Save(CheckpointSamples.Header(step), CheckpointSamples.Rngs(), CheckpointSamples.State());

    private static string Name(long step) => CheckpointStore.FileNameFor(step);

    [Fact]
    public void Save_CreatesDirectoryAndNamedFile_ListSortsByStep()
    {
        var store = new CheckpointStore(_dir, 10);
        Save(store, 20);
        var path = Save(store, 3);
        path.Should().Be(Path.Combine(_dir, "ckpt-000000000003.msgpack"));
        store.List().Select(c => c.Step).Should().Equal(3, 20);
        store.List()[0].Size.Should().Be(new FileInfo(path).Length);
        Directory.GetFiles(_dir).Should().HaveCount(2, "no temp files remain after a save");
    }

    [Fact]
    public void Save_BeyondKeepLast_DeletesOldest()
    {
        var store = new CheckpointStore(_dir, 2);
        for (long step = 1; step <= 5; step++) Save(store, step);
        store.List().Select(c => c.Step).Should().Equal(4, 5);
    }

    [Fact]
    public void Save_OlderStepThanExisting_KeepsJustWritten()
    {
        var store = new CheckpointStore(_dir, 1);
        Save(store, 9);
        Save(store, 4);
        store.List().Select(c => c.Step).Should().Equal(4);
    }

    [Fact]
    public void LoadLatestValid_NewestCorrupt_WarnsAndFallsBackToPrevious()
    {
        var store = new CheckpointStore(_dir, 5);
        Save(store, 1);
        Save(store, 2);
        var newest = Save(store, 3);
        var bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0x04;
        File.WriteAllBytes(newest, bytes);

        var checkpoint = store.LoadLatestValid(_warnings.Add);

        checkpoint!.Header.Step.Should().Be(2);
        _warnings.Should().ContainSingle().Which.Should().StartWith(
            $"checkpoint {Name(3)} is corrupt (checksum mismatch); falling back to {Name(2)} (step 2).");
        File.Exists(newest + ".corrupt").Should().BeTrue("the damaged file is kept for inspection");
        store.List().Select(c => c.Step).Should().Equal(1, 2);
    }

    [Fact]
    public void LoadLatestValid_TwoNewestTruncatedOrEmpty_FallsBackPastBoth()
    {
        var store = new CheckpointStore(_dir, 5);
        Save(store, 1);
        var second = Save(store, 2);
        var third = Save(store, 3);
        var bytes = File.ReadAllBytes(second);
        File.WriteAllBytes(second, bytes[..(bytes.Length / 3)]);
        File.WriteAllBytes(third, []);

        store.LoadLatestValid(_warnings.Add)!.Header.Step.Should().Be(1);

        _warnings.Should().HaveCount(2);
        _warnings[0].Should().StartWith($"checkpoint {Name(3)} is truncated; falling back to {Name(1)} (step 1)");
        _warnings[1].Should().StartWith($"checkpoint {Name(2)} is truncated; falling back to {Name(1)} (step 1)");
    }

    [Fact]
    public void LoadLatestValid_AllCorrupt_ReturnsNullWithWarning()
    {
        var store = new CheckpointStore(_dir, 5);
        var only = Save(store, 1);
        File.WriteAllText(only, "garbage");
        store.LoadLatestValid(_warnings.Add).Should().BeNull();
        _warnings.Should().ContainSingle().Which.Should().StartWith($"checkpoint {Name(1)} is not a checkpoint; no valid checkpoint remains");
    }

    [Fact]
    public void LoadLatestValid_NoDirectory_ReturnsNullSilently()
    {
        new CheckpointStore(_dir, 3).LoadLatestValid(_warnings.Add).Should().BeNull();
        _warnings.Should().BeEmpty();
        Directory.Exists(_dir).Should().BeFalse("loading must not create the folder");
    }

    [Fact]
    public void LoadLatestValid_TempFileLeftover_IsIgnoredAndCleaned()
    {
        var store = new CheckpointStore(_dir, 3);
        Save(store, 5);
        var leftover = Path.Combine(_dir, Name(6) + ".4242.tmp");
        File.WriteAllBytes(leftover, [0x8c, 0xa6]);

        store.List().Select(c => c.Step).Should().Equal(5);
        store.LoadLatestValid(_warnings.Add)!.Header.Step.Should().Be(5);

        File.Exists(leftover).Should().BeFalse();
        _warnings.Should().ContainSingle().Which.Should().Contain("interrupted checkpoint save");
    }

    [Fact]
    public void Save_AfterFallback_KeepLastOne_KeepsTheNewValidCheckpoint()
    {
        var store = new CheckpointStore(_dir, 1);
        Save(store, 1);
        store.WaitForRetention(); // the first writer is done before the second one starts (as a resumed process would be)
        var store2 = new CheckpointStore(_dir, 2);
        var second = Save(store2, 2);
        File.WriteAllBytes(second, File.ReadAllBytes(second)[..100]);
        store.LoadLatestValid(_warnings.Add)!.Header.Step.Should().Be(1);

        Save(store, 2);

        store.List().Select(c => c.Step).Should().Equal(2);
        store.LoadLatestValid(_warnings.Add)!.Header.Step.Should().Be(2);
    }

    [Fact]
    public void Constructor_KeepLastZero_Throws() =>
        FluentActions.Invoking(() => new CheckpointStore(_dir, 0)).Should().Throw<ArgumentOutOfRangeException>();
}
