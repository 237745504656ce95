import { WebHdfsError, type WebHdfsClient } from '../../common/clients/webhdfs';
import { WorkFolder } from './work-folder';

/**
 * A tuning trial's folder, inside the folder its features were prepared in: what the trial writes
 * (forest, model, metrics) stays its own, and what it reads that it did not write (the pipeline, the
 * feature matrices, the held-out flights) comes from the shared folder. So the training steps run on
 * a trial as they run on a training, and the features are built once for all the trials that share them.
 */
export class TrialFolder extends WorkFolder {
  constructor(
    hdfs: WebHdfsClient,
    private readonly shared: WorkFolder,
    index: number,
  ) {
    super(hdfs, `${shared.path}/trial-${index}`);
  }

  override async read(name: string): Promise<Buffer> {
    try {
      return await super.read(name);
    } catch (err) {
      if (err instanceof WebHdfsError && err.exception === 'FileNotFoundException') return this.shared.read(name);
      throw err;
    }
  }
}
