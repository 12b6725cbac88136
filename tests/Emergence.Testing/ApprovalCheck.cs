namespace Emergence.Testing;

/// <summary>The approval procedure, with the approve switch passed in so it can be tested without the environment.</summary>
internal static class ApprovalCheck
{
    /// <summary>
    /// Passes when the verified file exists and matches (and removes a stale received file). Otherwise
    /// writes the verified file (when <paramref name="approve"/>) or the received file, and throws.
    /// </summary>
    public static void Run(ApprovalTarget target, ApprovalContent actual, bool approve)
    {
        bool exists = File.Exists(target.VerifiedPath);
        if (exists)
        {
            ApprovalContent verified = actual.ReadLike(target.VerifiedPath);
            if (verified.SameAs(actual))
            {
                File.Delete(target.ReceivedPath);
                return;
            }

            if (!approve)
            {
                File.WriteAllBytes(target.ReceivedPath, actual.Bytes);
                throw new ApprovalException(
                    $"Output differs from {target.VerifiedPath}: {verified.DescribeDifference(actual)}\n" +
                    $"Wrote {target.ReceivedPath}. If the new output is right, re-run with {Approvals.ApproveVariable}=1 " +
                    "or copy the received file over the verified one.");
            }
        }
        else if (!approve)
        {
            File.WriteAllBytes(target.ReceivedPath, actual.Bytes);
            throw new ApprovalException(
                $"No verified file {target.VerifiedPath}. Wrote {target.ReceivedPath}; review it, then rename it to " +
                $".verified or re-run with {Approvals.ApproveVariable}=1.");
        }

        File.WriteAllBytes(target.VerifiedPath, actual.Bytes);
        File.Delete(target.ReceivedPath);
        throw new ApprovalException($"approved: re-run to check (wrote {target.VerifiedPath}).");
    }
}
