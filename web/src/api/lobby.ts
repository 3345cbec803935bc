import { request } from './http';

/** Someone waiting at a meeting's door, as hosts see them. */
export interface Knock {
  participant: string;
  name: string;
  authenticated: boolean;
  knocked_at: string;
}

const base = (code: string) => '/api/v1/rooms/' + encodeURIComponent(code) + '/lobby';

export async function waitingList(code: string): Promise<Knock[]> {
  return (await request<Knock[]>('GET', base(code))).body;
}

export async function decide(code: string, participant: string, admit: boolean): Promise<void> {
  await request('POST', base(code) + '/' + encodeURIComponent(participant), { admit });
}

export async function decideAll(code: string, admit: boolean): Promise<number> {
  return (await request<{ decided: number }>('POST', base(code), { admit })).body.decided;
}
