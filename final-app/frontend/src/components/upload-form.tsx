// Uploading an image: the API creates the record and a presigned PUT URL, then the file goes straight to S3
// with a progress bar. The thumbnail arrives later (an S3 event makes it); the page learns of it live.
import { useRef, useState, type FormEvent } from 'react';
import { IMAGE_CONTENT_TYPES, type Image } from '../api/types';
import { uploadFile } from '../api/upload';
import { useServices } from '../services';

/** API Gateway and Lambda are not in the way (the PUT goes to S3), but a course app has no use for more. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

type Phase = { step: 'idle' } | { step: 'uploading'; fraction: number } | { step: 'done'; title: string };

export interface UploadFormProps {
  groupId: string;
  onUploaded: (image: Image) => void;
  /** For tests: the XMLHttpRequest to send the file with. */
  createRequest?: () => XMLHttpRequest;
}

export function UploadForm({ groupId, onUploaded, createRequest }: UploadFormProps) {
  const { api } = useServices();
  const fileInput = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<File | undefined>(undefined);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const choose = (chosen: File | undefined) => {
    setFile(chosen);
    setProblem(undefined);
    if (chosen && title === '') setTitle(chosen.name.replace(/\.[^.]+$/, '').slice(0, 200));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problemWith = check(title, file);
    setProblem(problemWith);
    if (problemWith || !file) return;
    setPhase({ step: 'uploading', fraction: 0 });
    try {
      const created = await api.createImage(groupId, { title: title.trim(), contentType: file.type });
      await uploadFile({
        url: created.uploadUrl,
        file,
        contentType: file.type,
        onProgress: (fraction) => setPhase({ step: 'uploading', fraction }),
        createRequest,
      });
      onUploaded(created.image);
      setPhase({ step: 'done', title: created.image.title });
      setTitle('');
      setFile(undefined);
      if (fileInput.current) fileInput.current.value = '';
    } catch (error) {
      setPhase({ step: 'idle' });
      setProblem((error as Error).message);
    }
  };

  const percent = phase.step === 'uploading' ? Math.round(phase.fraction * 100) : 0;
  return (
    <form
      className="card"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="upload-heading"
      noValidate
    >
      <h2 id="upload-heading">Upload an image</h2>
      <label htmlFor="image-file">Image file (JPEG, PNG or WebP, up to 10 MB)</label>
      <input
        id="image-file"
        ref={fileInput}
        type="file"
        accept={IMAGE_CONTENT_TYPES.join(',')}
        onChange={(event) => choose(event.target.files?.[0])}
      />
      <label htmlFor="image-title">Title</label>
      <input
        id="image-title"
        value={title}
        maxLength={200}
        onChange={(event) => setTitle(event.target.value)}
      />
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {phase.step === 'uploading' && (
        <>
          <label htmlFor="upload-progress">Uploading: {percent}%</label>
          <progress id="upload-progress" max={100} value={percent}>
            {percent}%
          </progress>
        </>
      )}
      <p role="status" className="upload-status">
        {phase.step === 'done' ? `Uploaded "${phase.title}". Its thumbnail appears in a moment.` : ''}
      </p>
      <button type="submit" disabled={phase.step === 'uploading'}>
        {phase.step === 'uploading' ? 'Uploading…' : 'Upload'}
      </button>
    </form>
  );
}

function check(title: string, file: File | undefined): string | undefined {
  if (!file) return 'Choose an image file to upload.';
  if (!(IMAGE_CONTENT_TYPES as readonly string[]).includes(file.type)) {
    return `"${file.name}" is not a JPEG, PNG or WebP image. Choose one of those.`;
  }
  if (file.size > MAX_UPLOAD_BYTES) return `"${file.name}" is over 10 MB. Choose a smaller image.`;
  const trimmed = title.trim();
  if (trimmed === '' || trimmed.length > 200) return 'Give the image a title of 1 to 200 characters.';
  return undefined;
}
