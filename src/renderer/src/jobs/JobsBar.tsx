/** The bottom bar: running jobs with progress and Cancel, and notices (errors name their item). */
import { useServices, useJobs } from '../app/servicesContext';
import { Icon } from '../ui/Icon';
import { dismissNotice } from './jobStore';

/** The jobs bar. */
export function JobsBar() {
  const { jobs: jobStore } = useServices();
  const jobs = useJobs((state) => state.jobs);
  const notices = useJobs((state) => state.notices);

  return (
    <footer className="jobs-bar" aria-label="Jobs and messages">
      <div className="jobs">
        {jobs.map((job) => (
          <div key={job.jobId} className="job" data-testid="job-progress" data-job-kind={job.kind} data-item-id={job.itemId} data-fraction={job.fraction.toFixed(3)}>
            <span className="job-title" title={job.title}>
              {job.title}
            </span>
            <span className="job-stage">{job.stage}</span>
            <progress max={1} value={job.fraction} aria-label={`${job.title}: ${Math.round(job.fraction * 100)}%`} />
            <span className="job-percent">{Math.round(job.fraction * 100)}%</span>
            <button type="button" className="button small" data-testid="job-cancel" onClick={job.cancel}>
              Cancel
            </button>
          </div>
        ))}
      </div>
      <ul className="notices" aria-live="polite">
        {notices.map((notice) => (
          <li key={notice.id} className={`notice notice-${notice.tone}`} data-testid="notice" data-tone={notice.tone} role={notice.tone === 'error' ? 'alert' : undefined}>
            <span>{notice.text}</span>
            <button type="button" className="icon-button small" aria-label="Dismiss" onClick={() => dismissNotice(jobStore, notice.id)}>
              <Icon name="close" size={12} />
            </button>
          </li>
        ))}
      </ul>
    </footer>
  );
}
