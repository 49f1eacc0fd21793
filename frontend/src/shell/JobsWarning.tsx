/** A warning above the designer while no job worker is alive: published dispatch rules, notifications and SLA
 * timers would silently never run (issue 16). The server says whether one is and in which words
 * (GET /studio/jobs, hotline/designer/studio/jobs_health.py); asked again every half minute. */
import { Alert } from "antd";
import { useEffect, useState } from "react";

interface JobHealth { alive: boolean; workers: number; message: string | null }

const EVERY_MS = 30_000;

export function JobsWarning() {
  const [health, setHealth] = useState<JobHealth | null>(null);
  useEffect(() => {
    let stopped = false;
    const ask = async () => {
      try {
        const response = await fetch("/studio/jobs", { credentials: "same-origin" });
        if (response.ok && !stopped) setHealth(await response.json() as JobHealth);
      } catch { /* offline: keep what was shown */ }
    };
    void ask();
    const timer = window.setInterval(ask, EVERY_MS);
    return () => { stopped = true; window.clearInterval(timer); };
  }, []);
  if (!health || health.alive || !health.message) return null;
  return <Alert type="warning" showIcon banner title={health.message} data-testid="no-job-worker" role="alert" />;
}
