import { request } from './http';

/** Raises or lowers one's own hand; the server sets the handRaisedAt attribute everyone sees. */
export async function setHand(code: string, raised: boolean): Promise<void> {
  await request('POST', '/api/v1/rooms/' + encodeURIComponent(code) + '/hand', { raised });
}
