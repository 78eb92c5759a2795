using Commons.Community.Service;
using Commons.Pools.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Community.Grains;

/// <summary>
/// What the peer withdrew (a moderator's removal, a member's erasure) is withdrawn here too, and
/// recorded so that this pool's own members and peers learn of it. An erasure is applied only to
/// artifacts its signer signed, which this pool checks itself.
/// </summary>
public sealed partial class PeerGrain
{
    private const int WithdrawalPageSize = 500;
    // From the start at each activation: applying a withdrawal again changes nothing.
    private long _withdrawalCursor;

    private async Task SyncWithdrawalsAsync(PoolClient client)
    {
        if (ServiceProvider.GetService<PoolErasure>() is not { } erasure)
        {
            return;
        }

        while (true)
        {
            var page = await client.ReadWithdrawalsAsync(_withdrawalCursor, WithdrawalPageSize);
            foreach (var item in page.Items)
            {
                await erasure.ApplyRelayedAsync(item);
            }

            _withdrawalCursor = page.Next;
            if (!page.HasMore)
            {
                break;
            }
        }
    }
}
