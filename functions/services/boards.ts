/**
 * The hall's display boards: their WebSocket connections (handlers/board-socket.ts), pairing by
 * the code a TV shows, and the pushes of the hall's calls (delivered from the outbox by
 * services/notifications.ts). The board connections live in store/queue (boards.ts); the socket
 * itself is reached through lib/board-push.ts, which knows nothing of the store.
 */
import { AppError } from '@contract/errors';
import type { BoardMessage, PairedBoard } from '@contract/queue';
import { randomInt } from 'node:crypto';
import { DEFAULT_TIMEZONE, isoWithOffset } from '../domain/time';
import { postToConnection } from '../lib/board-push';
import { config } from '../lib/config';
import type { AuthUser } from '../lib/tokens';
import * as store from '../store/queue';
import type { BoardConnection } from '../store/queue';
import { requireStaff } from './access';

const pairingCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** A board's socket opened: an unpaired connection with a pairing code. false: no such hall. */
export async function connectBoard(cid: string, connectionId: string, endpoint: string | undefined, now: Date): Promise<boolean> {
  return (await store.addConnection(cid, connectionId, endpoint, now, pairingCode)) !== undefined;
}

/**
 * Answers a board's message with where it stands: `paired`, or `pairing` with its code (a fresh
 * connection and code when the code expired). Sent through the management API, which reaches a
 * board in AWS and locally alike.
 */
export async function greetBoard(connectionId: string, now: Date): Promise<void> {
  let connection = await store.getConnection(connectionId);
  if (!connection) return;
  if (!connection.slot && Number(connection.codeExpiresAt ?? 0) <= Math.floor(now.getTime() / 1000)) {
    await store.removeConnection(connectionId);
    connection = await store.addConnection(connection.communityId, connectionId, connection.endpoint, now, pairingCode);
    if (!connection) return;
  }
  const message: BoardMessage = connection.slot
    ? { type: 'paired' }
    : { type: 'pairing', code: connection.code ?? '', expiresAt: new Date(Number(connection.codeExpiresAt) * 1000).toISOString() };
  await postToConnection(connection, message);
}

export async function disconnectBoard(connectionId: string): Promise<void> {
  await store.removeConnection(connectionId);
}

/** Staff pair the board showing `code`: at most the configured number per hall (MAX_HALL_BOARDS), held by the slots. */
export async function pairBoard(actor: AuthUser, cid: string, code: string, now: Date): Promise<PairedBoard> {
  await requireStaff(actor, cid);
  const paired = await store.pairBoard(cid, code, actor.id, now, config().maxHallBoards);
  if (paired === 'unknown') throw new AppError('NOT_FOUND', '配对码无效或已过期，请以显示屏上当前的配对码为准');
  if (paired === 'full') throw new AppError('BOARD_LIMIT', `本大厅最多配对 ${config().maxHallBoards} 块显示屏`);
  return { id: String(paired.slot), pairedAt: isoWithOffset(now, DEFAULT_TIMEZONE) };
}

export async function pairedBoards(actor: AuthUser, cid: string, now: Date): Promise<{ items: PairedBoard[] }> {
  await requireStaff(actor, cid);
  const boards = await store.pairedBoards(cid, now, config().maxHallBoards);
  return { items: boards.map((b) => ({ id: String(b.slot), pairedAt: isoWithOffset(new Date(b.pairedAt ?? now), DEFAULT_TIMEZONE) })) };
}

/** Frees a board's slot; its TV asks again and shows a fresh pairing code. */
export async function unpairBoard(actor: AuthUser, cid: string, id: string): Promise<{ ok: true }> {
  await requireStaff(actor, cid);
  const slot = Number(id);
  if (!Number.isInteger(slot) || slot < 1 || slot > config().maxHallBoards || !(await store.unpairBoard(cid, slot))) throw new AppError('NOT_FOUND', '没有这块显示屏');
  return { ok: true };
}

/** Pushes to the hall's paired boards; a board found gone frees its slot and its connection is deleted. */
export async function pushToBoards(cid: string, boards: readonly BoardConnection[], message: unknown): Promise<void> {
  await Promise.all(
    boards.map(async (board) => {
      if ((await postToConnection(board, message)) !== 'gone') return;
      await Promise.all([store.removeBoard(cid, board), store.deleteConnection(board.connectionId)]).catch(() => undefined);
    }),
  );
}
