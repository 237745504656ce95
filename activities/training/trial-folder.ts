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

  /**
   * The folder at `dir`: a trial's (the steps after the trial — registration, promotion — read the
   * held-out flights through it) when its name says so, `trial-<index>`, a plain work folder otherwise.
   */
  static at(hdfs: WebHdfsClient, dir: string): WorkFolder {
    const trial = /^(.*)\/trial-(\d+)$/.exec(dir);
    return trial ? new TrialFolder(hdfs, new WorkFolder(hdfs, trial[1]!), Number(trial[2])) : new WorkFolder(hdfs, dir);
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
