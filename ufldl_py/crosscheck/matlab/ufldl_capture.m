function varargout = ufldl_capture(fname, varargin)
%UFLDL_CAPTURE Call a function and save its inputs and outputs for ufldl-py crosscheck.
%   ufldl_capture('cnnPool', poolDim, convolvedFeatures) calls
%   cnnPool(poolDim, convolvedFeatures) and saves, in the current folder,
%     cnnPool_in.mat   the inputs, by the argument names of cnnPool's signature
%     cnnPool_out.mat  the outputs, by the output names of its signature, in order
%   (in1, in2, ... and out1, out2, ... where the function has no .m file, or
%   for arguments past the names its signature gives).
%   [a, b] = ufldl_capture(...) captures (and returns) the first two outputs;
%   called without outputs it captures as many as the signature names.
%   Then, in a shell:
%     ufldl-py crosscheck cnnPool --inputs cnnPool_in.mat --expected cnnPool_out.mat
%   Written for ufldl_py (MIT licence); runs in MATLAB (R2016b and later) and Octave.

  if ~ischar(fname) || isempty(fname)
    error('ufldl_capture:fname', 'ufldl_capture: the first argument is a function name');
  end
  [innames, outnames] = signature_names(fname);
  n = nargout;
  if n == 0
    try
      n = nargout(fname);  % -(k + 1) for k named outputs and varargout
    catch
      n = 1;
    end
    n = max(abs(n) - (n < 0), 1);
  end
  outputs = cell(1, n);
  [outputs{:}] = feval(fname, varargin{:});

  ins = struct();
  for k = 1:numel(varargin)
    ins.(pick_name(innames, k, 'in')) = varargin{k};
  end
  outs = struct();
  for k = 1:n
    outs.(pick_name(outnames, k, 'out')) = outputs{k};
  end
  save([fname '_in.mat'], '-struct', 'ins', '-v7');
  save([fname '_out.mat'], '-struct', 'outs', '-v7');
  fprintf('ufldl_capture: saved %s_in.mat (%d inputs) and %s_out.mat (%d outputs)\n', ...
          fname, numel(varargin), fname, n);
  varargout = outputs(1:nargout);
end

function name = pick_name(names, k, prefix)
  % the k-th name of the signature, where it is a plain name; else prefix followed by k
  if k <= numel(names) && isvarname(names{k}) && ~any(strcmp(names{k}, {'varargin', 'varargout'}))
    name = names{k};
  else
    name = sprintf('%s%d', prefix, k);
  end
end

function [innames, outnames] = signature_names(fname)
  % the argument and output names on the first function line of fname's .m file
  innames = {};
  outnames = {};
  file = which(fname);
  if isempty(file) || numel(file) < 2 || ~strcmp(file(end-1:end), '.m') || ~exist(file, 'file')
    return;
  end
  text = fileread(file);
  text = regexprep(text, '\.\.\.[^\n]*\n', ' ');  % continued lines joined
  tok = regexp(text, ['^\s*function\s+(?:\[?([\w\s,~]*?)\]?\s*=\s*)?' ...
                      '[\w.]+\s*(?:\(([\w\s,~]*)\))?'], 'tokens', 'once', 'lineanchors');
  if isempty(tok)
    return;
  end
  outnames = regexp(tok{1}, '[\w~]+', 'match');
  if numel(tok) > 1
    innames = regexp(tok{2}, '[\w~]+', 'match');
  end
end
