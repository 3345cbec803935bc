import { useId, useState, type FormEvent } from 'react';
import { parseRoomCode } from '../app/roomCode';
import { navigate } from '../app/router';
import { fragmentOfLink } from '../e2ee/key';
import { useI18n } from '../i18n/i18n';

/** "abc-defg-hij" or a pasted link. */
export function JoinByCode() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const errorId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = parseRoomCode(text);
    if (code) {
      // A pasted end-to-end encrypted link keeps its key.
      navigate('/' + code + fragmentOfLink(text));
    } else {
      setInvalid(true);
    }
  };
  return (
    <form className="card join-by-code" onSubmit={submit} noValidate>
      <h2>{t('join.title')}</h2>
      <div className="row">
        <label className="field grow">
          <span className="visually-hidden">{t('join.label')}</span>
          <input
            type="text"
            placeholder={t('join.placeholder')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setInvalid(false);
            }}
            aria-invalid={invalid}
            aria-describedby={invalid ? errorId : undefined}
            autoCapitalize="none"
            spellCheck={false}
            data-testid="join-code"
          />
        </label>
        <button type="submit" className="button secondary" disabled={!text.trim()}>
          {t('join.submit')}
        </button>
      </div>
      {invalid && (
        <p id={errorId} className="error" role="alert">
          {t('join.invalid')}
        </p>
      )}
    </form>
  );
}
