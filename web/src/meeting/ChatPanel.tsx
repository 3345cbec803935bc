import { useRoomContext, type useChat } from '@livekit/components-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { nameOf } from './MeetingView';
import { SidePanel } from './SidePanel';

const LINK = /(https?:\/\/[^\s<]+[^\s<.,;:!?)"'])/g;

/** The message's text, its web links clickable (opened in a new tab, without referrer). */
function MessageText({ text }: { text: string }) {
  const parts = text.split(LINK);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} target="_blank" rel="noopener noreferrer">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** The meeting's chat: messages are not kept after the meeting. */
export function ChatPanel({
  chat,
  onClose,
}: {
  chat: ReturnType<typeof useChat>;
  onClose: () => void;
}) {
  const { t, language } = useI18n();
  const local = useRoomContext().localParticipant;
  const [draft, setDraft] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [chat.chatMessages.length]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const text = draft.trim();
    if (!text) {
      return;
    }
    setDraft('');
    await chat.send(text);
  };

  return (
    <SidePanel title={t('chat.title')} onClose={onClose} testId="chat-panel">
      {chat.chatMessages.length === 0 ? (
        <p className="note panel-body">{t('chat.empty')}</p>
      ) : (
        <ol className="messages panel-body" ref={list} data-testid="chat-messages">
          {chat.chatMessages.map((m) => {
            const mine = m.from === local;
            return (
              <li key={m.id} className={'message' + (mine ? ' mine' : '')}>
                <div className="message-head">
                  <span className="message-author">
                    {mine ? t('chat.me') : m.from ? nameOf(m.from) : t('chat.unknown')}
                  </span>
                  <time dateTime={new Date(m.timestamp).toISOString()}>
                    {time.format(m.timestamp)}
                  </time>
                </div>
                <p className="message-text">
                  <MessageText text={m.message} />
                </p>
              </li>
            );
          })}
        </ol>
      )}
      <form className="chat-form" onSubmit={send}>
        <label className="visually-hidden" htmlFor="chat-input">
          {t('chat.label')}
        </label>
        <input
          id="chat-input"
          type="text"
          value={draft}
          maxLength={2000}
          placeholder={t('chat.placeholder')}
          onChange={(e) => setDraft(e.target.value)}
          autoComplete="off"
          data-testid="chat-input"
        />
        <button
          type="submit"
          className="round small on"
          disabled={chat.isSending || !draft.trim()}
          title={t('chat.send')}
          data-testid="chat-send"
        >
          <span className="icon icon-send" aria-hidden="true" />
          <span className="visually-hidden">{t('chat.send')}</span>
        </button>
      </form>
    </SidePanel>
  );
}
