/** No schema library here: the take page imports this without pulling zod into its bundle. */

/**
 * A walk-in mini-program code's scene (WeChat allows 32 characters): the community and the day's
 * hall token. Made by the server, read by the take page.
 */
export const hallScene = (communityId: string, token: string): string => `${communityId}.${token}`;
export function parseHallScene(scene: string | undefined): { communityId?: string; token?: string } {
  const [communityId, token] = scene?.split('.') ?? [];
  return { communityId: communityId || undefined, token: token || undefined };
}
