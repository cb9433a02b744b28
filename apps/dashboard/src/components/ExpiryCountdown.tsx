import { useEffect, useState } from 'react';

/** Time left until `expiresAt`, ticking every second. */
export function ExpiryCountdown({ expiresAt }: { expiresAt: number | null }) {
  const now = useNow(1000);
  if (expiresAt === null) return <span>—</span>;
  const seconds = Math.max(0, Math.round((expiresAt - now) / 1000));
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return (
    <time dateTime={new Date(expiresAt).toISOString()} data-testid="expiry-countdown" data-seconds={seconds}>
      {text}
    </time>
  );
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
