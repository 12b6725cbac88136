using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Emergence.Engine.Runs;

/// <summary>One row of the run index.</summary>
internal sealed record IndexedRun(
    string RunId, string Experiment, string Plugin, string Status, long Step, string Path,
    string Created, string Updated, string? ParentRunId, long? ParentStep, string? Reason);

/// <summary>
/// The embedded SQLite index over all runs under a runs root (<c>runs/index.db</c>): runs,
/// their parameters (every resolved manifest key) and their latest metric values. The run
/// folders stay the source of truth; the index can be rebuilt from them.
/// </summary>
internal sealed class RunIndex : IDisposable
{
    private readonly SqliteConnection _db;

    private RunIndex(SqliteConnection db) => _db = db;

    /// <summary>Opens (creating if needed) the index of <paramref name="runsRoot"/>.</summary>
    public static RunIndex Open(string runsRoot)
    {
        Directory.CreateDirectory(runsRoot);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = System.IO.Path.Combine(runsRoot, "index.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        db.Open();
        var index = new RunIndex(db);
        index.Execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA busy_timeout=30000;
            CREATE TABLE IF NOT EXISTS runs(
              run_id TEXT PRIMARY KEY, experiment TEXT NOT NULL, plugin TEXT NOT NULL, plugin_version TEXT,
              status TEXT NOT NULL, step INTEGER NOT NULL, path TEXT NOT NULL, seed TEXT,
              created TEXT NOT NULL, updated TEXT NOT NULL, parent_run_id TEXT, parent_step INTEGER, reason TEXT);
            CREATE TABLE IF NOT EXISTS params(run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY(run_id, key));
            CREATE TABLE IF NOT EXISTS metrics(run_id TEXT NOT NULL, name TEXT NOT NULL, step INTEGER NOT NULL, value REAL,
              PRIMARY KEY(run_id, name));
            CREATE INDEX IF NOT EXISTS runs_experiment ON runs(experiment);
            """);
        return index;
    }

    /// <summary>Inserts or updates a run's row from its <c>run.json</c> and folder.</summary>
    public void Upsert(RunInfo info, string path)
    {
        Execute("""
            INSERT INTO runs(run_id, experiment, plugin, plugin_version, status, step, path, seed, created, updated, parent_run_id, parent_step, reason)
            VALUES($id, $exp, $plugin, $pv, $status, $step, $path, $seed, $created, $updated, $parent, $pstep, $reason)
            ON CONFLICT(run_id) DO UPDATE SET status=$status, step=$step, path=$path, updated=$updated, reason=$reason
            """,
            ("$id", info.RunId), ("$exp", info.Experiment), ("$plugin", info.Plugin), ("$pv", info.PluginVersion),
            ("$status", info.Status), ("$step", info.Step), ("$path", path), ("$seed", info.Seed.ToString(CultureInfo.InvariantCulture)),
            ("$created", info.Created.ToString("O")), ("$updated", info.Updated.ToString("O")),
            ("$parent", info.ParentRunId), ("$pstep", info.ParentStep), ("$reason", info.Reason));
    }

    /// <summary>Replaces the parameters of a run.</summary>
    public void SetParameters(string runId, IReadOnlyDictionary<string, string> parameters)
    {
        using var tx = _db.BeginTransaction();
        Execute("DELETE FROM params WHERE run_id=$id", ("$id", runId));
        foreach (var (key, value) in parameters)
            Execute("INSERT INTO params(run_id, key, value) VALUES($id, $k, $v)", ("$id", runId), ("$k", key), ("$v", value));
        tx.Commit();
    }

    /// <summary>Records the latest value of each metric at <paramref name="step"/>.</summary>
    public void SetMetrics(string runId, long step, IReadOnlyDictionary<string, double> metrics)
    {
        using var tx = _db.BeginTransaction();
        foreach (var (name, value) in metrics)
            Execute("""
                INSERT INTO metrics(run_id, name, step, value) VALUES($id, $n, $s, $v)
                ON CONFLICT(run_id, name) DO UPDATE SET step=$s, value=$v
                """, ("$id", runId), ("$n", name), ("$s", step), ("$v", double.IsFinite(value) ? value : null));
        tx.Commit();
    }

    /// <summary>Runs matching the filters, newest first.</summary>
    public IReadOnlyList<IndexedRun> Query(string? experiment = null, string? status = null, string? plugin = null,
        IReadOnlyDictionary<string, string>? parameters = null)
    {
        using var cmd = _db.CreateCommand();
        var where = new List<string>();
        void Filter(string sql, string name, object? value)
        {
            if (value is null) return;
            where.Add(sql);
            cmd.Parameters.AddWithValue(name, value);
        }
        Filter("experiment = $exp", "$exp", experiment);
        Filter("status = $status", "$status", status);
        Filter("plugin = $plugin", "$plugin", plugin);
        int i = 0;
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            where.Add($"EXISTS(SELECT 1 FROM params p WHERE p.run_id = runs.run_id AND p.key = $k{i} AND p.value = $v{i})");
            cmd.Parameters.AddWithValue($"$k{i}", key);
            cmd.Parameters.AddWithValue($"$v{i}", value);
            i++;
        }
        cmd.CommandText = "SELECT run_id, experiment, plugin, status, step, path, created, updated, parent_run_id, parent_step, reason FROM runs"
                          + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY created DESC, run_id DESC";
        using var reader = cmd.ExecuteReader();
        var runs = new List<IndexedRun>();
        while (reader.Read())
            runs.Add(new IndexedRun(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetInt64(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        return runs;
    }

    /// <summary>Latest metric values of a run.</summary>
    public IReadOnlyDictionary<string, double> Metrics(string runId)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT name, value FROM metrics WHERE run_id = $id ORDER BY name";
        cmd.Parameters.AddWithValue("$id", runId);
        using var reader = cmd.ExecuteReader();
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        while (reader.Read()) metrics[reader.GetString(0)] = reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1);
        return metrics;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _db.Dispose();
}
