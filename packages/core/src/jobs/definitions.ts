import { JobKind } from '../model/job';
import { JobDefinition } from './job-definition';
import { hostJobs } from './definitions/host-jobs';
import { vmJobs } from './definitions/vm-jobs';
import { volumeJobs } from './definitions/volume-jobs';
import { filesystemJobs } from './definitions/filesystem-jobs';
import { placementJobs } from './definitions/placement-jobs';
import { storageJobs } from './definitions/storage-jobs';
import { omnistackJobs } from './definitions/omnistack-jobs';
import { lustreJobs } from './definitions/lustre-jobs';
import { consolidationJobs } from './definitions/consolidation-jobs';

/** Every job kind's steps. Typed as a Record over JobKind, so a kind without steps fails to compile. */
export const jobDefinitions: Record<JobKind, JobDefinition> = {
  ...hostJobs,
  ...vmJobs,
  ...volumeJobs,
  ...filesystemJobs,
  ...placementJobs,
  ...omnistackJobs,
  ...lustreJobs,
  ...storageJobs,
  ...consolidationJobs,
};
